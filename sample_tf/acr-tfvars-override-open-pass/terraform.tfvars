registry_public = true
