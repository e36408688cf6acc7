"""The programme's goals, measures and progress reports: their vocabulary and
table schema, the append-only edit log (JSON lines or PostgreSQL), its replay, and
the published data merged with it. Pure Python, no Streamlit."""
