"""Container images: registry lookups, update proposals, end-of-life and layer scanning.

The flow is Steward's own: `steward.ecosystems.docker.extract` (pure) finds the references,
`registry` (I/O) asks OCI registries for tags and digests, `proposals`, `lifecycle` and
`vulnerabilities` (pure) turn facts into findings, `layers` and `packages` read what is inside an
image, `pipeline` ties the I/O together, `render` writes the reports and `update` rewrites files.
"""
