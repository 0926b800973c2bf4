"""Re-computing the audit chain to find tampering."""

from collections.abc import Iterator
from dataclasses import dataclass

from lifeline.audit import chain
from lifeline.audit.models import AuditChainHead, AuditEvent
from lifeline.audit.services import SCRUBBED


@dataclass(frozen=True)
class Problem:
    seq: int
    reason: str


def _problems() -> Iterator[Problem]:
    # A payload scrubbed by an erasure holds only a pointer to that later erasure event.
    erasures = set(
        AuditEvent.objects.filter(action__endswith=".erased").values_list("seq", flat=True)
    )
    expected_seq = 1
    prev_hash = "0" * 64
    rows = AuditEvent.objects.order_by("seq").values_list(
        "seq",
        "created_at",
        "organisation_id",
        "actor_id",
        "action",
        "object_type",
        "object_id",
        "session_ref",
        "payload",
        "payload_digest",
        "prev_hash",
        "hash",
    )
    for (
        seq,
        created_at,
        org_id,
        actor_id,
        action,
        object_type,
        object_id,
        session_ref,
        payload,
        digest,
        stored_prev,
        stored_hash,
    ) in rows.iterator(chunk_size=2000):
        if seq != expected_seq:
            yield Problem(
                expected_seq,
                f"row {expected_seq} is missing (next row is {seq}): deleted or reordered",
            )
            return
        if stored_prev != prev_hash:
            yield Problem(
                seq,
                "its link to the previous row is broken: a row before it was deleted or reordered",
            )
            return
        scrubbed_by = payload.get(SCRUBBED) if len(payload) == 1 else None
        if scrubbed_by is not None:
            if scrubbed_by not in erasures or scrubbed_by <= seq:
                yield Problem(seq, "its payload was replaced without an erasure")
                return
        elif chain.payload_digest(payload) != digest:
            yield Problem(seq, "its payload was edited")
            return
        recomputed = chain.row_hash(
            seq=seq,
            prev_hash=stored_prev,
            created_at=chain.format_time(created_at),
            organisation_id=org_id,
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            session_ref=session_ref,
            payload_digest=digest,
        )
        if recomputed != stored_hash:
            yield Problem(seq, "it was edited (its hash does not match its content)")
            return
        prev_hash = stored_hash
        expected_seq += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        yield Problem(
            expected_seq,
            f"the chain ends at row {expected_seq - 1} but {head.seq} rows were written: the last rows were deleted",
        )


def verify_chain() -> tuple[int, Problem | None]:
    """Return (rows checked, the first problem or None). Reads the whole log in chunks."""
    problem = next(_problems(), None)
    checked = AuditEvent.objects.count()
    return checked, problem
