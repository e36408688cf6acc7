"""The upload limit and the server settings the login depends on.

``server.maxUploadSize`` (megabytes of 1024 * 1024 bytes, as Streamlit's upload
route counts them) is the limit the import reader applies itself before reading
(``monitor.ingest.safe_files.MAX_FILE_BYTES``): one number for the browser, the
server and the reader.
"""

from __future__ import annotations

import tomllib

import pytest

from monitor.ingest.problems import IngestError
from monitor.ingest.safe_files import DEFAULT_LIMITS, MAX_FILE_BYTES, read_source
from tests.conftest import ROOT, streamlit_option

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
MB = 1024 * 1024


def test_the_upload_limit_is_set_and_equals_the_readers_limit():
    assert CONFIG["server"]["maxUploadSize"] == 100
    assert streamlit_option("server.maxUploadSize") == 100
    assert MAX_FILE_BYTES == DEFAULT_LIMITS.max_bytes == 100 * MB


class Upload:
    """An uploaded file as ``st.file_uploader`` returns it: ``size`` is known
    before the bytes are read."""

    name = "gross.csv"

    def __init__(self, size: int):
        self.size = size
        self.read_called = False

    def getvalue(self) -> bytes:
        self.read_called = True
        return b"a;b\n1;2\n"


def test_the_reader_refuses_a_larger_upload_before_reading_it():
    upload = Upload(100 * MB + 1)
    with pytest.raises(IngestError) as caught:
        read_source(upload)
    assert not upload.read_called
    problem = caught.value.problems[0]
    assert problem.code == "too_large"
    assert "höchstens 100 MB" in problem.message
    at_limit = Upload(100 * MB)
    assert read_source(at_limit)[0] == b"a;b\n1;2\n" and at_limit.read_called


@pytest.mark.parametrize(
    "section,name,value",
    [
        ("server", "enableXsrfProtection", True),
        ("server", "enableCORS", True),
        ("server", "enableStaticServing", False),
        ("client", "showErrorDetails", "none"),  # no tracebacks for hostile input
        ("client", "toolbarMode", "viewer"),
    ],
)
def test_the_server_settings_the_login_relies_on(section, name, value):
    assert CONFIG[section][name] == value
    assert streamlit_option(f"{section}.{name}") == value
