"""The packaged default record templates (shipped as ilog.default_templates)."""
