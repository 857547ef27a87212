"""The gate every write passes: SHACL with the store as context (shacl), the closed vocabulary and lexical
checks (vocabulary), and the report in text, JSON or Turtle (report)."""
