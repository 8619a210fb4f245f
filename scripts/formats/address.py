"""The package's public addresses, all derived from the one `repository` field of metadata/package.yaml, or none where it is unset."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

DATASETTE_LITE = "https://lite.datasette.io/"


@dataclass(frozen=True)
class PublicAddress:
    """Where a GitHub repository publishes a version: its release page, and the files attached to it (the zip and its SHA256SUMS)."""

    repository: str  # https://github.com/<owner>/<repo>, as the contract allows

    def release_page(self, version: str) -> str:
        return f"{self.repository}/releases/tag/v{version}"

    def download(self, version: str, file_name: str) -> str:
        return f"{self.repository}/releases/download/v{version}/{file_name}"

    @property
    def issues(self) -> str:
        """Where a reader reports an error: the repository's issue tracker."""
        return f"{self.repository}/issues"

    @property
    def pages(self) -> str:
        """The GitHub Pages site the Pages workflow deploys the newest release to: https://<owner>.github.io/<repo>/."""
        owner, repo = urlsplit(self.repository).path.strip("/").split("/")[:2]
        return f"https://{owner.lower()}.github.io/{repo}/"

    def datasette_lite(self, database: str, metadata: str) -> str:
        """Datasette Lite opening the Pages copy of the database and its metadata: Pages serves them with CORS, a release asset does not."""
        return f"{DATASETTE_LITE}?url={quote(self.pages + database, safe='')}&metadata={quote(self.pages + metadata, safe='')}"


def public_address(metadata: dict) -> PublicAddress | None:
    """None until metadata/package.yaml sets `repository`: no output then carries a made-up address."""
    return PublicAddress(metadata["repository"]) if metadata.get("repository") else None
