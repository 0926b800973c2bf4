from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "lifeline.evidence"
    label = "evidence"
    verbose_name = "Evidence"

    def ready(self) -> None:
        # Key rotation re-encrypts the files too, and an erasure destroys them.
        from lifeline.core import rotation
        from lifeline.evidence import storage
        from lifeline.evidence.erasure import shred_evidence
        from lifeline.privacy.services import register_shredder

        rotation.register_file_store(
            rotation.FileStore(
                name="evidence",
                paths=storage.all_blob_paths,
                key_id=storage.blob_key_id,
                reencrypt=storage.reencrypt,
            )
        )
        register_shredder(shred_evidence)
