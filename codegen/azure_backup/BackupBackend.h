//===- BackupBackend.h - Azure Backup policies for VMs ----------*- C++ -*-===//
//
// `azure/backup.json`: an ARM template (resource-group deployment into the
// vaults' resource group) with one `vaults/backupPolicies` per backup and
// vault — AzureIaasVM, a V1 (standard) policy, or V2 (enhanced) for hourly
// schedules and instant restore over 5 days — and the protected item that
// attaches each VM to its policy. docs/azure.md ("Backup") describes the mapping.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "analysis/Model.h"
#include "output/Artifacts.h"

namespace ward::codegen {

void generateBackupArtifacts(const Program &program, const analysis::PermissionModel &model, ArtifactSet &out,
                             DiagnosticEngine &diags);

} // namespace ward::codegen
