"""The validator's wheel: the same bytes every time, a RECORD pip accepts, and the pins of pyproject.toml."""

from __future__ import annotations

import base64
import hashlib
import zipfile

from scripts.formats.wheel import CODE_ROOT, wheel_files, wheel_name, write_wheel
from scripts.inputs.project import Project


def test_the_wheel_is_the_same_bytes_each_time_and_its_record_holds(tmp_path):
    requires = Project().validator_requirements()
    for name in ("one.whl", "two.whl"):
        write_wheel(CODE_ROOT, tmp_path / name, "global-muslim-coalition-for-uyghurs", "9.9.9", "A summary.", requires)
    assert (tmp_path / "one.whl").read_bytes() == (tmp_path / "two.whl").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.whl") as wheel:
        names = wheel.namelist()
        info = "global_muslim_coalition_for_uyghurs-9.9.9.dist-info"
        assert names[-1] == f"{info}/RECORD" and names[:-3] == wheel_files(CODE_ROOT)
        assert "scripts/__main__.py" in names and "contracts/profiles/2.0/datapackage.json" in names
        assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)
        record = wheel.read(f"{info}/RECORD").decode("utf-8").splitlines()
        for line in record[:-1]:
            path, digest, size = line.rsplit(",", 2)
            content = wheel.read(path)
            assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(
                b"="
            ).decode() and int(size) == len(content)
        assert record[-1] == f"{info}/RECORD,,"
        metadata = wheel.read(f"{info}/METADATA").decode("utf-8").splitlines()
    assert metadata[:3] == ["Metadata-Version: 2.1", "Name: global-muslim-coalition-for-uyghurs", "Version: 9.9.9"]
    assert [line.removeprefix("Requires-Dist: ") for line in metadata if line.startswith("Requires-Dist: ")] == requires
    assert "frictionless[parquet,pandas]==5.21.0" in requires and all("==" in requirement for requirement in requires)
    assert (
        wheel_name("global-muslim-coalition-for-uyghurs", "9.9.9")
        == "global_muslim_coalition_for_uyghurs-9.9.9-py3-none-any.whl"
    )
