"""A versioned data root built by the importer from real-layout fixtures.

Areas: the 52 Gemeinden of the Saarland (VG250, tests/fixtures/realdata) as level
``stadt``; values: the GENESIS test table 22811 (five Gemeinden of the Landkreis
Neunkirchen, 2021–2023, every official symbol and flag; numbers made up) as the
count ``mindestsicherung`` of tests/fixtures/ingest/katalog_gemeinden.yaml.
"""

from __future__ import annotations

from pathlib import Path

from monitor.ingest import staging, steps

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "ingest"
CATALOG = FIX / "katalog_gemeinden.yaml"
GEMEINDEN = (
    ROOT / "tests/fixtures/realdata/saarland-gemeinden/saarland_gemeinden.geo.json"
)
GENESIS = FIX / "genesis_22811_symbole.csv"
INDICATOR = "mindestsicherung"
EPPELBORN = "10043111"


def changed_genesis(tmp: Path, eppelborn_2023: str = "1.234") -> Path:
    """The GENESIS table with Eppelborn's 2023 value changed (was ``1.198p``)."""
    text = GENESIS.read_text(encoding="utf-8")
    if "1.198p" not in text:
        raise ValueError("the fixture changed: Eppelborn 2023 is not 1.198p")
    path = Path(tmp) / "genesis_22811_neu.csv"
    path.write_text(text.replace("1.198p", eppelborn_2023), encoding="utf-8")
    return path


def build_root(root: Path, *, with_values: bool = True) -> str:
    """Boundaries (and the GENESIS table) imported and published into ``root``;
    returns the version id."""
    stage = staging.open_staging(root, catalog=CATALOG, title="Gemeinden (Test)")
    result = steps.stage_boundaries(stage, GEMEINDEN)
    if not result.ok:
        raise RuntimeError([str(p) for p in result.errors])
    if with_values:
        result = steps.stage_table(stage, GENESIS, kind="genesis", indicator=INDICATOR)
        if not result.ok:
            raise RuntimeError([str(p) for p in result.errors])
    return staging.publish_staged(root, stage.id, who="test").id
