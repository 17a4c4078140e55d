"""Training code: data builders, configs and entry points. Never imported by inference."""
