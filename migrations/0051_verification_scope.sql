-- The partner API-key scope for verification requests is called `verification` (issue 11); the earlier
-- placeholder `cases` had no routes. Keys that carried it keep the same rights under the new name.
update api_keys set scopes = array_replace(scopes, 'cases', 'verification') where 'cases' = any (scopes);
