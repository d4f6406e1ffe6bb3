"""The rule engine (the rule data lives in the top-level ``rules/`` folder): loader, schema, engine, checks, prefilter, registry, examples, catalogue."""
