"""A real OpenID Connect provider (npm `oidc-provider`) for end-to-end sign-in tests."""
