"""All the SQL of the timings store: table schemas, the views analysts query, and reports.

Tables are Parquet files (one per run and table); the DuckDB database holds only views over
them, so writing a run never needs the database file's lock.
"""

from __future__ import annotations

# Bump when a table or view changes: the views in the database file are then recreated.
SCHEMA_VERSION = 8

TABLES: dict[str, str] = {
    "runs": """
        run_id VARCHAR, project VARCHAR, job VARCHAR, source VARCHAR, config_hash VARCHAR,
        config_file VARCHAR, status VARCHAR, provider VARCHAR, concurrency INTEGER,
        started_at TIMESTAMPTZ, ended_at TIMESTAMPTZ, run_s DOUBLE, first_item_at TIMESTAMPTZ,
        wall_s DOUBLE, sum_s DOUBLE, critical_path_s DOUBLE, critical_path VARCHAR,
        items INTEGER, images INTEGER, pages INTEGER, llm_calls INTEGER, cache_hits INTEGER,
        tokens_in BIGINT, tokens_out BIGINT, cost_usd DOUBLE, limiter_wait_s DOUBLE,
        fallbacks INTEGER, checks_passed INTEGER, checks_failed INTEGER, error VARCHAR,
        gate_flagged INTEGER, regenerated INTEGER, field_fallbacks INTEGER, degraded INTEGER,
        removed_sentences INTEGER
    """,
    "items": """
        run_id VARCHAR, project VARCHAR, item VARCHAR, asset VARCHAR, partition VARCHAR,
        kind VARCHAR, phase_group VARCHAR, depth INTEGER, started_at TIMESTAMPTZ,
        finished_at TIMESTAMPTZ, start_offset_s DOUBLE, duration_s DOUBLE, blocked_s DOUBLE,
        status VARCHAR, attempts INTEGER, fallback BOOLEAN, fallback_reason VARCHAR,
        llm_calls INTEGER, llm_s DOUBLE, limiter_wait_s DOUBLE, tokens_in BIGINT,
        tokens_out BIGINT, cost_usd DOUBLE, cache_hits INTEGER, provider VARCHAR,
        model VARCHAR, on_critical_path BOOLEAN, regenerated BOOLEAN, gate_findings VARCHAR,
        field_fallbacks VARCHAR, endpoint VARCHAR, degraded BOOLEAN, degraded_error VARCHAR,
        removed_sentences VARCHAR
    """,
    "llm_calls": """
        run_id VARCHAR, project VARCHAR, item VARCHAR, asset VARCHAR, call_index INTEGER,
        call VARCHAR, kind VARCHAR, provider VARCHAR, model VARCHAR, key_alias VARCHAR,
        started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, duration_s DOUBLE, wait_s DOUBLE,
        attempts INTEGER, tokens_in BIGINT, tokens_out BIGINT, images INTEGER,
        cost_usd DOUBLE, cache_hit BOOLEAN, status VARCHAR, fallback_reason VARCHAR,
        endpoint VARCHAR, failover VARCHAR
    """,
    # One row per switch of a live site: a publish (a run's, or items redone) or a rollback
    # (merlin_assets/releases). Written by run, like the tables above. `note` (schema 8): what
    # the owner asked for when a page or section was redone on request; NULL in older rows.
    "releases": """
        release VARCHAR, project VARCHAR, run_id VARCHAR, kind VARCHAR,
        switched_at TIMESTAMPTZ, config_hash VARCHAR, parent VARCHAR, replaced VARCHAR,
        pages_added INTEGER, pages_changed INTEGER, pages_removed INTEGER,
        images_added INTEGER, images_changed INTEGER, images_removed INTEGER,
        words_changed INTEGER, hand_edits INTEGER, conflicts INTEGER, cost_usd DOUBLE,
        note VARCHAR
    """,
    # One row per host a run's site was deployed to (merlin_assets.hosts); none without a
    # `publish:` section. `deploy_id` is the host's version: Netlify's deploy, the git commit.
    "deploys": """
        run_id VARCHAR, project VARCHAR, host VARCHAR, kind VARCHAR, deploy_id VARCHAR,
        url VARCHAR, status VARCHAR, error VARCHAR, files_uploaded INTEGER,
        bytes_uploaded BIGINT, files_deleted INTEGER, files_total INTEGER, seconds DOUBLE,
        detail VARCHAR, deployed_at TIMESTAMPTZ
    """,
}

# Runs are written last: a run row that can be read always has its items and calls beside it.
WRITE_ORDER = ("items", "llm_calls", "deploys", "runs")


def columns(table: str) -> list[str]:
    return [part.split()[0] for part in TABLES[table].split(",")]


def create_table(table: str) -> str:
    return f"CREATE TABLE {table} ({TABLES[table]})"


def insert(table: str) -> str:
    cols = columns(table)
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


def literal(text: str) -> str:
    """A SQL string literal (paths end up inside COPY and view definitions)."""
    return "'" + text.replace("'", "''") + "'"


def copy_to_parquet(table: str, path: str) -> str:
    return f"COPY {table} TO {literal(path)} (FORMAT parquet)"


def base_view(table: str, glob: str) -> str:
    return (
        f"CREATE OR REPLACE VIEW {table} AS "
        f"SELECT * FROM read_parquet({literal(glob)}, union_by_name = true)"
    )


# The views analysts query (documented in README.md). Order matters: later ones read earlier.
VIEWS: dict[str, str] = {
    "run_summary": """
        SELECT run_id, project, status, source, provider, concurrency, started_at, ended_at,
               run_s, wall_s, sum_s,
               round(sum_s / nullif(wall_s, 0), 2) AS speedup,
               critical_path_s,
               round(critical_path_s / nullif(wall_s, 0), 3) AS efficiency,
               critical_path, items, images, pages, llm_calls, cache_hits,
               tokens_in + tokens_out AS tokens, tokens_in, tokens_out, cost_usd,
               limiter_wait_s, fallbacks, checks_passed, checks_failed, config_hash, error,
               coalesce(gate_flagged, 0) AS gate_flagged,
               coalesce(regenerated, 0) AS regenerated,
               coalesce(field_fallbacks, 0) AS field_fallbacks,
               coalesce(degraded, 0) AS degraded,
               coalesce(removed_sentences, 0) AS removed_sentences,
               (SELECT list({'endpoint': e.endpoint, 'calls': e.calls,
                             'fallbacks': e.fallbacks, 'cost_usd': e.cost_usd}
                            ORDER BY e.calls DESC, e.endpoint)
                FROM (SELECT coalesce(nullif(c.endpoint, ''), c.provider) AS endpoint,
                             count(*) AS calls,
                             sum(CASE WHEN c.status = 'fallback' THEN 1 ELSE 0 END)
                                 AS fallbacks,
                             round(sum(c.cost_usd), 6) AS cost_usd
                      FROM llm_calls c
                      WHERE c.run_id = runs.run_id
                      GROUP BY 1) e) AS endpoints
        FROM runs
    """,
    "phase_durations": """
        SELECT asset AS phase, phase_group,
               count(DISTINCT run_id) AS runs, count(*) AS items,
               round(median(duration_s), 4) AS median_s,
               round(quantile_cont(duration_s, 0.95), 4) AS p95_s,
               round(avg(duration_s), 4) AS mean_s,
               round(max(duration_s), 4) AS max_s,
               round(avg(limiter_wait_s), 4) AS mean_limiter_wait_s,
               round(avg(CASE WHEN on_critical_path THEN 1 ELSE 0 END), 3)
                   AS on_critical_path_share
        FROM items
        WHERE kind <> 'check'
        GROUP BY asset, phase_group
    """,
    "limiter_waits": """
        SELECT c.run_id, c.project, c.asset AS phase, c.kind, c.provider, c.model,
               c.key_alias,
               count(*) AS calls,
               round(sum(c.wait_s), 4) AS wait_s,
               round(avg(c.wait_s), 4) AS mean_wait_s,
               round(max(c.wait_s), 4) AS max_wait_s,
               round(sum(c.duration_s), 4) AS call_s,
               round(sum(c.wait_s) / nullif(sum(c.duration_s), 0), 3) AS wait_share,
               sum(c.attempts) - count(*) AS retries
        FROM llm_calls c
        GROUP BY ALL
    """,
    "cost_by_project": """
        SELECT project,
               count(DISTINCT run_id) AS runs,
               count(*) AS llm_calls,
               sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out,
               round(sum(cost_usd), 6) AS cost_usd,
               round(sum(cost_usd) / count(DISTINCT run_id), 6) AS cost_per_run_usd,
               sum(CASE WHEN cache_hit THEN 1 ELSE 0 END) AS cache_hits
        FROM llm_calls
        GROUP BY project
    """,
    "cost_by_phase": """
        SELECT project, asset AS phase,
               count(DISTINCT run_id) AS runs,
               count(*) AS llm_calls,
               sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out,
               round(sum(cost_usd), 6) AS cost_usd,
               sum(CASE WHEN cache_hit THEN 1 ELSE 0 END) AS cache_hits
        FROM llm_calls
        GROUP BY project, asset
    """,
    # Calls and cost per service of an endpoint pool (`openai` with one service; calls the
    # rules answered after every endpoint failed count under the endpoint tried last).
    "cost_by_endpoint": """
        SELECT project, coalesce(nullif(endpoint, ''), provider) AS endpoint,
               count(DISTINCT run_id) AS runs,
               count(*) AS llm_calls,
               sum(CASE WHEN status = 'fallback' THEN 1 ELSE 0 END) AS fallbacks,
               sum(CASE WHEN failover <> '' THEN 1 ELSE 0 END) AS failed_over,
               sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out,
               sum(images) AS images,
               round(sum(cost_usd), 6) AS cost_usd,
               sum(CASE WHEN cache_hit THEN 1 ELSE 0 END) AS cache_hits
        FROM llm_calls
        GROUP BY ALL
    """,
    # The fact-check judge (`engine.judge`) per page and other copy item: its calls (one, or
    # two when the redo was judged again), what they cost, and what the gate did after. No
    # rows for offline runs: no judge runs there.
    "judge_cost_by_page": """
        SELECT c.run_id, c.project, c.item, c.asset,
               count(*) AS judge_calls,
               sum(CASE WHEN c.status = 'fallback' THEN 1 ELSE 0 END) AS judge_failed,
               sum(c.tokens_in) AS tokens_in, sum(c.tokens_out) AS tokens_out,
               round(sum(c.cost_usd), 6) AS cost_usd,
               any_value(i.regenerated) AS regenerated,
               any_value(i.removed_sentences) AS removed_sentences,
               any_value(i.field_fallbacks) AS field_fallbacks
        FROM llm_calls c
        LEFT JOIN items i ON i.run_id = c.run_id AND i.item = c.item
        WHERE c.kind = 'fact_check'
        GROUP BY c.run_id, c.project, c.item, c.asset
    """,
    # Polish nodes that raised, run by run, and why: the site was published without them
    # (`Node.role`). Runs recorded before the column existed read NULL there: none.
    "degraded_items": """
        SELECT run_id, project, asset AS node, started_at, degraded_error AS error
        FROM items
        WHERE coalesce(degraded, false) AND kind <> 'check'
    """,
    # Publishes and rollbacks per project, and which release is live now (the last switch).
    "publishes_by_project": """
        SELECT project,
               count(*) FILTER (WHERE kind <> 'rollback') AS publishes,
               count(*) FILTER (WHERE kind = 'rollback') AS rollbacks,
               min(switched_at) AS first_at, max(switched_at) AS last_at,
               arg_max(release, switched_at) AS live_release,
               sum(pages_added + pages_changed + pages_removed) AS pages_touched,
               sum(words_changed) AS words_changed,
               sum(conflicts) AS hand_edit_conflicts,
               round(sum(cost_usd), 6) AS cost_usd
        FROM releases
        GROUP BY project
    """,
}


def view(name: str) -> str:
    return f"CREATE OR REPLACE VIEW {name} AS {VIEWS[name]}"


SELECT_RUN = "SELECT * FROM run_summary WHERE run_id = ?"
LATEST_RUN = """
    SELECT run_id FROM runs
    WHERE (? IS NULL OR project = ?)
    ORDER BY coalesce(ended_at, started_at) DESC NULLS LAST, run_id
    LIMIT 1
"""
RUN_IDS = "SELECT run_id FROM runs ORDER BY run_id"
RUN_ITEMS = """
    SELECT * FROM items WHERE run_id = ?
    ORDER BY kind = 'check', start_offset_s NULLS LAST, item
"""
RUN_CALLS = "SELECT * FROM llm_calls WHERE run_id = ? ORDER BY item, call_index"
RUN_GROUPS = """
    SELECT phase_group, count(*) AS items,
           round(sum(duration_s), 3) AS sum_s,
           round(min(start_offset_s), 3) AS first_start_s,
           round(max(start_offset_s + duration_s + blocked_s), 3) AS last_end_s,
           sum(llm_calls) AS llm_calls,
           round(sum(limiter_wait_s), 3) AS limiter_wait_s,
           sum(tokens_in + tokens_out) AS tokens,
           round(sum(cost_usd), 6) AS cost_usd,
           sum(CASE WHEN fallback THEN 1 ELSE 0 END) AS fallbacks
    FROM items
    WHERE run_id = ? AND kind <> 'check'
    GROUP BY phase_group
"""
