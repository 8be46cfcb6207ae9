"""JSON Schemas shipped with the package (report; later policy and repository config)."""
