"""Knowledge bases in the console: create one, upload a file with a progress bar, watch training finish,
edit a chunk, and find the file's text with the search test (real local embedding model, real worker)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.fake_llm import FakeLLM, Reply
from tests.support.live import LiveServer

# First use loads the local embedding model in the worker: give training room, never sleep.
TRAINING_TIMEOUT_MS = 180_000
# Saving a chunk and searching embed with the same model in the request: slow on a busy 2-core machine.
EMBED_TIMEOUT_MS = 60_000

PARAGRAPHS = [
    "# Lighthouse keeping handbook",
    "The lighthouse on Korsholm island burns whale oil mixed with paraffin. Keepers trim the wick "
    "at dusk and again at midnight so the flame never smokes the Fresnel lens.",
    "Storm protocol: when the barometer falls below 980 hectopascals the keeper closes the iron "
    "shutters, logs the wind every hour and rings the fog bell twice a minute.",
    "Supply boats arrive on the first Tuesday of each month carrying flour, lamp oil, mail and "
    "spare glass chimneys. Orders must be signalled with the blue pennant a week ahead.",
    "Seabirds nest on the northern cliffs from April to July; keepers count puffins each morning "
    "and report the tally to the ornithological society in Turku.",
]


def knowledge_file(tmp_path: Path) -> Path:
    path = tmp_path / "lighthouse-handbook.md"
    path.write_text("\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    return path


def open_new_dataset(page: Page, console_server: LiveServer, name: str) -> None:
    page.get_by_role("link", name="Knowledge bases").click()
    expect(page.get_by_role("heading", name="Knowledge bases")).to_be_visible()
    form = page.get_by_role("form", name="Create knowledge base")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Introduction").fill("Made by the browser test")
    form.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def test_upload_train_edit_and_search(signed_in: Page, console_server: LiveServer, tmp_path: Path) -> None:
    page = signed_in
    with console_server.root as client:
        models = client.get("/api/core/ai/model/list").json()["data"]
    default_embedding = next(m for m in models if m["type"] == "embedding" and m.get("isDefault"))
    assert default_embedding["provider"] == "local", "the console test trains offline with a local model"

    open_new_dataset(page, console_server, "Lighthouse manual")
    expect(page.get_by_text(f"Vector model: {default_embedding['name']}")).to_be_visible()

    # Upload: several chunks (custom size, short texts split too), one progress bar per file.
    upload = page.get_by_role("region", name="Add data")
    upload.get_by_label("Chunk settings").select_option("custom")
    upload.get_by_label("Chunk size").fill("220")
    upload.get_by_label("Split short texts too").check()
    upload.get_by_label("Files", exact=True).set_input_files(str(knowledge_file(tmp_path)))
    upload.get_by_role("button", name="Upload").click()
    bar = upload.get_by_role("progressbar", name="Upload of lighthouse-handbook.md")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("value", "100")
    expect(upload.get_by_text(re.compile(r"Uploaded · [1-9]\d* chunks queued"))).to_be_visible()

    # Training: the row turns Ready once the worker has embedded every chunk, without a reload.
    table = page.get_by_role("table", name="Collections")
    row = table.get_by_role("row").filter(has_text="lighthouse-handbook.md")
    expect(row.get_by_text("Ready", exact=True)).to_be_visible(timeout=TRAINING_TIMEOUT_MS)
    expect(page.get_by_role("status", name="Training queue")).to_contain_text("Training queue empty")
    chunk_count = int(row.get_by_role("cell").nth(3).inner_text())
    assert chunk_count > 1, "the custom chunk size split the file"

    # Chunks: open them, edit one, see the new text stored.
    row.get_by_role("link", name="Chunks of lighthouse-handbook.md").click()
    chunks = page.get_by_role("list", name="Chunk list")
    expect(chunks.get_by_role("listitem")).to_have_count(chunk_count)
    first = chunks.get_by_role("listitem", name="Chunk #0", exact=True)
    first.get_by_role("button", name="Edit chunk #0").click()
    main_text = first.get_by_label("Main text")
    original = main_text.input_value()
    assert "Lighthouse keeping handbook" in original
    addition = "Revised by the Korsholm keeper after the winter inspection."
    main_text.fill(f"{original}\n\n{addition}")
    first.get_by_role("button", name="Save").click()
    expect(first.get_by_role("button", name="Save")).to_have_count(0, timeout=EMBED_TIMEOUT_MS)
    expect(first).to_contain_text(addition)
    page.reload()
    expect(
        page.get_by_role("list", name="Chunk list").get_by_role("listitem", name="Chunk #0", exact=True)
    ).to_contain_text(addition)

    # Search test: a phrase from the file finds its paragraph with a semantic score.
    page.get_by_role("tab", name="Search test").click()
    search = page.get_by_role("form", name="Search test")
    search.get_by_label("Query").fill("What happens when the barometer falls during a storm?")
    search.get_by_role("button", name="Search").click()
    results = page.get_by_role("region", name="Search results")
    expect(results.get_by_role("status")).to_contain_text("Semantic search", timeout=EMBED_TIMEOUT_MS)
    top = results.get_by_role("listitem").first
    expect(top).to_contain_text("closes the iron shutters")
    expect(top.get_by_test_id("primary-score")).to_have_text(re.compile(r"^#1 \| Semantic search 0\.\d{4}$"))


def test_text_import_and_delete_collection(signed_in: Page, console_server: LiveServer) -> None:
    page = signed_in
    open_new_dataset(page, console_server, "Pasted notes")
    upload = page.get_by_role("region", name="Add data")
    upload.get_by_role("tab", name="Text").click()
    upload.get_by_label("Collection name").fill("Tea notes")
    upload.get_by_label("Text", exact=True).fill(
        "Oolong is partially oxidised; steep it at 90 degrees for three minutes."
    )
    upload.get_by_role("button", name="Import text").click()
    expect(upload.get_by_role("status")).to_contain_text("Created “Tea notes” · 1 chunks queued")

    row = page.get_by_role("table", name="Collections").get_by_role("row").filter(has_text="Tea notes")
    expect(row.get_by_text("Ready", exact=True)).to_be_visible(timeout=TRAINING_TIMEOUT_MS)
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Delete Tea notes").click()
    expect(row).to_have_count(0)
    expect(page.get_by_text("No collections yet")).to_be_visible()


def test_bad_chunk_size_is_refused_before_upload(signed_in: Page, console_server: LiveServer) -> None:
    page = signed_in
    open_new_dataset(page, console_server, "Strict sizes")
    upload = page.get_by_role("region", name="Add data")
    upload.get_by_role("tab", name="Text").click()
    upload.get_by_label("Chunk settings").select_option("custom")
    upload.get_by_label("Chunk size").fill("10")
    upload.get_by_label("Collection name").fill("Too small")
    upload.get_by_label("Text", exact=True).fill("Some text")
    upload.get_by_role("button", name="Import text").click()
    expect(upload.get_by_role("alert")).to_contain_text("at least 64")
    expect(page.get_by_text("No collections yet")).to_be_visible()


def test_failed_training_is_shown_and_retried(signed_in: Page, console_server: LiveServer, fake: FakeLLM) -> None:
    page = signed_in
    fake.rule("qa-broken-source", Reply(fault="500"))
    open_new_dataset(page, console_server, "Q&A drafts")
    upload = page.get_by_role("region", name="Add data")
    upload.get_by_role("tab", name="Text").click()
    upload.get_by_label("Training mode").select_option("qa")
    upload.get_by_label("Collection name").fill("Broken source")
    upload.get_by_label("Text", exact=True).fill("qa-broken-source: the agent model fails on this text.")
    upload.get_by_role("button", name="Import text").click()

    row = page.get_by_role("table", name="Collections").get_by_role("row").filter(has_text="Broken source")
    expect(row.get_by_text(re.compile(r"^Error · 1 queued$"))).to_be_visible(timeout=TRAINING_TIMEOUT_MS)
    row.get_by_role("link", name="See errors").click()
    errors = page.get_by_role("region", name="Training errors")
    expect(errors.get_by_role("heading", name="Training errors (1)")).to_be_visible()
    failed = errors.get_by_role("listitem").filter(has_text="Chunk #0")
    expect(failed).to_contain_text("qa-broken-source")
    expect(failed).to_contain_text("qa · ")

    # The model still fails on the old text: only the edited chunk can train.
    failed.get_by_role("button", name="Edit").click()
    failed.get_by_label("Text of failed chunk 0").fill("The agent model answers this text.")
    failed.get_by_role("button", name="Save and retry").click()
    expect(errors.get_by_role("status")).to_contain_text("Chunk #0 was queued again")
    page.get_by_role("link", name="← All collections").click()
    expect(row.get_by_text("Ready", exact=True)).to_be_visible(timeout=TRAINING_TIMEOUT_MS)
    expect(row.get_by_role("cell").nth(3)).not_to_have_text("0")
    fake.reset()
