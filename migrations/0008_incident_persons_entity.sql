-- Incidents by registry entity (the person page lists the incidents a person is linked to).
-- Runs on PostgreSQL 15 and on PGlite.
create index incident_persons_entity on incident_persons (entity_id) where entity_id is not null;
