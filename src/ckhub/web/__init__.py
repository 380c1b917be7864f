"""The web shell: templates, i18n, security middleware, error pages, static assets."""
