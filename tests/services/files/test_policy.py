"""Upload rules: FastGPT's fileSelectConfig switches, file names, keys and image signatures."""

from __future__ import annotations

import pytest

from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.services.files import policy


def test_allowed_extensions_follow_the_switches() -> None:
    assert policy.allowed_extensions(None) == set()
    assert policy.allowed_extensions({"canSelectImg": False, "maxFiles": 3}) == set()
    images = policy.allowed_extensions({"canSelectImg": True})
    assert {".png", ".jpg", ".svg"} <= images and ".pdf" not in images
    both = policy.allowed_extensions({"canSelectImg": True, "canSelectFile": True})
    assert {".png", ".pdf", ".docx", ".csv"} <= both
    custom = policy.allowed_extensions(
        {"canSelectCustomFileExtension": True, "customFileExtensionList": ["JSON", ".Log", " "]}
    )
    assert custom == {".json", ".log"}
    ignored = policy.allowed_extensions({"canSelectCustomFileExtension": False, "customFileExtensionList": ["json"]})
    assert ignored == set()


def test_max_files() -> None:
    assert policy.max_files({"maxFiles": 3}) == 3
    assert policy.max_files({}) == policy.DEFAULT_MAX_FILES
    assert policy.max_files({"maxFiles": "x"}) == policy.DEFAULT_MAX_FILES
    assert policy.max_files({"maxFiles": -2}) == 1


@pytest.mark.parametrize("name", ["../x.png", "a/b.png", "a\\b.png", "..", ".", "  ", "a\x00.png", "a\nb.png"])
def test_unsafe_file_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidRequest):
        policy.clean_filename(name)


def test_file_names_are_normalised_and_capped() -> None:
    assert policy.clean_filename("  Cafe\u0301.PNG ") == "Café.PNG"
    long = policy.clean_filename("n" * 300 + ".pdf")
    assert len(long) == policy.MAX_FILENAME_CHARS and long.endswith(".pdf")
    assert policy.check_extension("Photo.JPEG", {".jpeg"}) == ".jpeg"
    with pytest.raises(InvalidRequest):
        policy.check_extension("archive.tar.gz", {".tar"})


def test_keys_keep_the_name_last_and_ids_safe() -> None:
    key = policy.chat_file_key("app1", "tmb1", "chat-1", "a b.txt")
    parts = key.split("/")
    assert parts[:4] == ["chat", "app1", "tmb1", "chat-1"] and parts[-1] == "a b.txt" and len(parts) == 6
    assert policy.app_id_of_key(key) == "app1"
    odd = policy.chat_prefix("app1", "tmb1", "../chat/%_")
    assert ".." not in odd and "%" not in odd and odd.count("/") == 4
    assert policy.chat_file_key("a", "u", "c", "x.txt") != policy.chat_file_key("a", "u", "c", "x.txt")


def test_image_signatures() -> None:
    assert policy.image_matches("image/png", b"\x89PNG\r\n\x1a\n....")
    assert not policy.image_matches("image/png", b"GIF89a......")
    assert policy.image_matches("image/jpeg", b"\xff\xd8\xff\xe0")
    assert policy.image_matches("image/webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ")
    assert not policy.image_matches("image/webp", b"RIFF\x00\x00\x00\x00WAVEfmt ")
    assert policy.image_matches("image/svg+xml", b"<svg/>")  # text formats are not sniffed
    assert policy.image_matches("text/plain", b"anything")
