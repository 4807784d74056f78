"""The register of international affiliations (sister cities and friendship ties) beside the figures."""
