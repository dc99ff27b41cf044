"""Container image references: where a repository names an image (Dockerfiles, compose,
Kubernetes manifests, Helm values). Not an `steward.ecosystems.PLUGINS` entry: images have their
own pipeline in `steward.images`."""
