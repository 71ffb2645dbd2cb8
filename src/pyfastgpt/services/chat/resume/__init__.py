"""Stream resume (FastGPT 4.14.11): mirror v2 chat streams and let a client reattach to them."""

from pyfastgpt.services.chat.resume.buffer import StreamMirror, StreamOwner, StreamResumeHub
from pyfastgpt.services.chat.resume.service import REQUEST_HEADER, StreamResumeService, resume_requested

__all__ = [
    "REQUEST_HEADER",
    "StreamMirror",
    "StreamOwner",
    "StreamResumeHub",
    "StreamResumeService",
    "resume_requested",
]
