"""GitHub integration (PR comment, job summary, outputs, organisation scan). No judging logic here."""
