"""Everything a running server holds: settings, database and the services built on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from pyfastgpt.ai.protocols import ModelRegistry
from pyfastgpt.ai.registry import build_registry
from pyfastgpt.core.config import Settings
from pyfastgpt.rag.search import DatasetSearchService
from pyfastgpt.services.analytics.chat_logs import record_round
from pyfastgpt.services.app_loader import TeamAppLoader
from pyfastgpt.services.apps import AppService
from pyfastgpt.services.auth import Authenticator, RootIdentity
from pyfastgpt.services.bootstrap import Bootstrap
from pyfastgpt.services.change_feed import listen_for_changes
from pyfastgpt.services.chat.resume import StreamResumeHub, StreamResumeService
from pyfastgpt.services.chat.round import ChatRoundService
from pyfastgpt.services.chat.round_store import ChatStore, RoundOutcome, RoundRecord
from pyfastgpt.services.dataset.kb import KnowledgeBase, build_knowledge_base
from pyfastgpt.services.files import ChatFileService, ImageInliner, StoredFileReader, build_chat_files
from pyfastgpt.services.history import HistoryService
from pyfastgpt.services.keys import KeyService
from pyfastgpt.services.share.hooks import ShareHooks
from pyfastgpt.services.share.links import ShareLinkService
from pyfastgpt.store.db import Database
from pyfastgpt.store.fulltext import FullTextIndex, build_fulltext_index
from pyfastgpt.store.notify import ChangeListener
from pyfastgpt.store.prepared import Writes
from pyfastgpt.store.vector import VectorStore, build_vector_store
from pyfastgpt.workflow.context import WorkflowDeps
from pyfastgpt.workflow.runner import WorkflowRunner


@dataclass(slots=True)
class Services:
    settings: Settings
    db: Database
    apps: AppService
    keys: KeyService
    auth: Authenticator
    boot: Bootstrap
    registry: ModelRegistry
    chat: ChatRoundService
    share: ShareLinkService
    files: ChatFileService
    vector_store: VectorStore
    fulltext: FullTextIndex
    dataset_search: DatasetSearchService
    kb: KnowledgeBase
    history: HistoryService
    resume: StreamResumeService
    changes: ChangeListener | None = None  # PostgreSQL: keeps the key, share-link and app caches fresh

    async def close(self) -> None:
        if self.changes is not None:
            await self.changes.close()
        await self.resume.hub.close()
        await self.share.hooks.aclose()
        await self.files.store.aclose()
        await self.vector_store.close()
        aclose = getattr(self.registry, "aclose", None)
        if aclose is not None:
            await aclose()
        await self.db.dispose()


def build_core_services(settings: Settings, db: Database) -> tuple[AppService, KeyService]:
    apps = AppService(db)
    keys = KeyService(db, apps, prefix=settings.api_key_prefix, max_count=settings.openapi_key_max_count)
    return apps, keys


def assemble(
    settings: Settings, db: Database, apps: AppService, keys: KeyService, boot: Bootstrap, registry: ModelRegistry
) -> Services:
    root: RootIdentity = boot.root
    files = build_chat_files(settings, db, apps)
    vector_store = build_vector_store(db, settings)
    fulltext = build_fulltext_index(db)
    dataset_search = DatasetSearchService(db, registry, vector_store, fulltext, settings)
    deps = WorkflowDeps(
        dataset_search=dataset_search,
        registry=registry,
        app_loader=TeamAppLoader(db, apps.published_of),
        settings=settings,
        file_reader=StoredFileReader(files.store, settings),
        image_inliner=ImageInliner(files.store),
    )
    store = ChatStore(db)
    chat = ChatRoundService(
        apps, store, WorkflowRunner(deps), timezone=settings.timezone, title_model=settings.chat_title_model
    )
    share = ShareLinkService(db, apps, ShareHooks(settings.share_hook_timeout_s))
    chat.on_share_finished = lambda visitor, chat_id, app_name, responses: share.finished(
        visitor, chat_id=chat_id, app_name=app_name, responses=responses
    )

    def share_usage(writes: Writes, record: RoundRecord, outcome: RoundOutcome, now: datetime) -> None:
        if record.scope.share_id and outcome.total_points > 0:
            share.record_usage(writes.conn, record.scope.share_id, outcome.total_points, now)

    zone = ZoneInfo(settings.timezone)  # the rollup keeps user counters in the zone the charts use

    def analytics(writes: Writes, record: RoundRecord, outcome: RoundOutcome, now: datetime) -> None:
        scope = record.scope
        record_round(
            writes,
            team_id=scope.team_id,
            app_id=scope.app_id,
            chat_id=record.chat_id,
            user_id=scope.out_link_uid or scope.tmb_id,
            source=scope.source,
            source_name=scope.source_name,
            points=outcome.total_points,
            error=bool(outcome.error),
            duration_s=outcome.duration_seconds,
            now=now,
            zone=zone,
        )

    store.finish_hooks.extend([share_usage, analytics])
    history = HistoryService(db, apps, registry)
    return Services(
        settings=settings,
        db=db,
        apps=apps,
        keys=keys,
        auth=Authenticator(db, root, keys.cache),
        boot=boot,
        registry=registry,
        chat=chat,
        share=share,
        files=files,
        vector_store=vector_store,
        fulltext=fulltext,
        dataset_search=dataset_search,
        kb=build_knowledge_base(db, settings, registry, vectors=vector_store, texts=fulltext),
        history=history,
        resume=StreamResumeService(StreamResumeHub(db), history),
    )


async def start_services(settings: Settings) -> Services:
    """Open the database (migrating it to head), run first-start initialisation, wire the services."""
    from pyfastgpt.services.bootstrap import bootstrap
    from pyfastgpt.store.migrate import upgrade

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    await upgrade(settings.resolved_database_url)
    db = Database(
        settings.resolved_database_url,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        pool_size=settings.db_pool_size,
    )
    apps, keys = build_core_services(settings, db)
    registry = build_registry(settings)
    boot = await bootstrap(db, settings, apps, keys, demo_model=settings.default_llm or "")
    services = assemble(settings, db, apps, keys, boot, registry)
    services.changes = await listen_for_changes(
        db, settings.credential_cache_s, keys=keys.cache, links=services.share.cache, apps=apps
    )
    return services
