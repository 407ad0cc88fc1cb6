"""Support grants, loans, schedules and payments (later issues).

The scheme (ordning) — the legal references and limits — belongs to the
municipality and lives in the shared package: ``mikrolaan.models.Scheme``,
read through ``Municipality.current_scheme()``."""
