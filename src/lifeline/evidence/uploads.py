"""The only upload handler: files stay in memory, and an upload stops at the size limit.

Django's default handlers spill any upload over 2.5 MB to a temporary file in /tmp, in
plaintext. Evidence must only ever reach the disk encrypted, so ``settings.FILE_UPLOAD_HANDLERS``
names this handler alone: each file is held in memory, and once the files of one request pass
``LIFELINE_EVIDENCE_MAX_BYTES`` the upload stops (the rest of the body is read and discarded),
the partial file is dropped and ``request.upload_too_large`` is set for the view to report.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class LimitedMemoryUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit: int = settings.LIFELINE_EVIDENCE_MAX_BYTES
        self.received = 0
        self.buffer: io.BytesIO | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.buffer = None
            if self.request is not None:
                self.request.upload_too_large = True  # type: ignore[attr-defined]
            raise StopUpload(connection_reset=False)
        if self.buffer is None:  # new_file() always comes first; never write past a refusal
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
