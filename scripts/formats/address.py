"""The package's public addresses, all derived from metadata/package.yaml's one `repository` field, or none."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

DATASETTE_LITE = "https://lite.datasette.io/"


@dataclass(frozen=True)
class PublicAddress:
    """Where a GitHub repository publishes a version: its release page, and the files attached to it."""

    repository: str  # https://github.com/<owner>/<repo>, as the contract allows

    def release_page(self, version: str) -> str:
        return f"{self.repository}/releases/tag/v{version}"

    def download(self, version: str, file_name: str) -> str:
        return f"{self.repository}/releases/download/v{version}/{file_name}"

    @property
    def issues(self) -> str:
        return f"{self.repository}/issues"

    @property
    def pages(self) -> str:
        """The GitHub Pages site the Pages workflow deploys the newest release to."""
        owner, repo = urlsplit(self.repository).path.strip("/").split("/")[:2]
        return f"https://{owner.lower()}.github.io/{repo}/"

    def datasette_lite(self, database: str, metadata: str) -> str:
        """Datasette Lite opening the Pages copy of the database: Pages serves it with CORS, a release asset not."""
        url, metadata_url = quote(self.pages + database, safe=""), quote(self.pages + metadata, safe="")
        return f"{DATASETTE_LITE}?url={url}&metadata={metadata_url}"


def public_address(metadata: dict) -> PublicAddress | None:
    """None until metadata/package.yaml sets `repository`: no output then carries a made-up address."""
    return PublicAddress(metadata["repository"]) if metadata.get("repository") else None
