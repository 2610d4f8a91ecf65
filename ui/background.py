"""What a page says about the topic run it reads and the background job that computes it
(analytics/refresh.py). Pages read stored results only; they never fit a model."""

from __future__ import annotations

import streamlit as st

from analytics import refresh, settings
from analytics.topics.runs import NO_TOPICS_ZH, resolve_run, run_info
from ui import cache
from ui.text import plain

POLL_SECONDS = 3.0  # while the job runs, its progress line re-reads the job's file this often
_WATCHING = "background_job_watching"


@st.fragment(run_every=POLL_SECONDS)
def _job_progress() -> None:
    """The job's progress, re-read while it runs; when it ends, the whole page reruns on the new run."""
    job = refresh.progress(settings.get("HOTSPOT_DB"))
    if job is not None and job.active:
        st.session_state[_WATCHING] = True
        st.info(plain(job.describe()), icon="⏳")
    elif st.session_state.pop(_WATCHING, False):
        st.rerun(scope="app")


def topic_run() -> str | None:
    """The stored topic run this page reads, with a line on its version or the background job's
    progress; None (and a message) when there is none yet. A database that never had a job (made
    before jobs ran in the background) gets one started here, once."""
    db = settings.get("HOTSPOT_DB")
    job = refresh.progress(db)
    if job is not None and job.active:
        _job_progress()
    elif job is not None and job.state == "failed":
        st.warning(plain(job.describe()), icon="⚠️")  # the message may name a file or an error
    run_id = cache.frame(resolve_run)
    if run_id is None:
        if job is None and refresh.after_change(db):  # once: a job that ended says why above
            _job_progress()
        st.info(NO_TOPICS_ZH)
        return None
    st.caption(plain(cache.frame(run_info, run_id).describe()))
    return run_id
