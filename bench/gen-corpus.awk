# Generates a Ward policy corpus of about `lines` lines.
#   awk -v lines=100000 -v files=100 -v out=DIR -f gen-corpus.awk
# files=1 writes one big file, which begins with the corpus's tenant. Each
# unit of about 47 lines declares an
# identity, two resources, a retry, an edgeworker with four routes, a backup
# and two allow rules, with names unique across the corpus.
function unit(i, f) {
  printf "identity sp-edge-%d : service_principal {\n  description = \"edge principal %d\"\n  object_id = \"3f2b8c1e-5d4a-4e7b-9c6d-%012d\"\n}\n\n", i, i, i > f
  printf "resource vm-%d : azure.vm {\n  resource_group = \"rg-app-%d\"\n  name = \"vm-app-%d\"\n  origin = \"https://app-%d.example.net\"\n}\n\n", i, i, i, i > f
  printf "resource vault-%d : azure.recovery_vault { resource_group = \"rg-backup\" name = \"rsv-%d\" }\n\n", i, i > f
  printf "retry reads-%d {\n  attempts = 3\n  backoff = exponential(initial = 100ms, max = 1s, multiplier = 2, jitter = full)\n  on = [502, 503, 504, timeout]\n  per_try_timeout = 1s\n  budget = { ratio = 10%%, min_per_second = 5 }\n}\n\n", i > f
  printf "edgeworker gw-%d {\n  id = %d\n  version = \"1.%d.0\"\n  description = \"gateway %d\"\n  hostnames = [\"app-%d.example.net\"]\n", i, i + 1, i % 100, i, i > f
  printf "  route GET, HEAD \"/api/%d/items/{id}\" {\n    forward to vm-%d retry reads-%d\n  }\n", i, i, i > f
  printf "  route POST \"/api/%d/items\" {\n    forward to vm-%d\n  }\n", i, i > f
  printf "  route GET \"/legacy/%d/*\" { redirect 301 \"/api/%d/items\" }\n", i, i > f
  printf "  route GET \"/health/%d\" { respond 200 \"ok\" }\n", i > f
  printf "  default deny 404\n}\n\n" > f
  printf "backup nightly-%d {\n  protect vm-%d in vault-%d\n  schedule = daily at \"02:00\" zone \"UTC\"\n  retain = { daily = 30d, weekly = 12w }\n  instant_restore = 2d\n  trigger by sp-edge-%d\n}\n\n", i, i, i, i > f
  printf "allow sp-edge-%d to vm.read on vm-%d\nallow sp-edge-%d to backup.operate on vault-%d\n\n", i, i, i, i > f
}
BEGIN {
  perUnit = 47
  units = int(lines / perUnit); if (units < 1) units = 1
  if (files < 1) files = 1
  perFile = int((units + files - 1) / files)
  for (i = 0; i < units; i++) {
    fileIndex = int(i / perFile)
    f = sprintf("%s/policy-%05d.ward", out, fileIndex)
    if (f != current) {
      if (current != "") close(current)
      current = f
      print "import std.azure\nimport std.retry\n" > f
      # One tenant for the corpus: its subscription is every resource's, so
      # that `wardc build` can write every scope.
      if (fileIndex == 0)
        printf "tenant bench {\n  id = \"72f988bf-86f1-41af-91ab-2d7cd011db47\"\n  subscription = \"0b1f6471-1bf0-4dda-aec3-cb9272f09590\"\n}\n\n" > f
    }
    unit(i, f)
  }
}
