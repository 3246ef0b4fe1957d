"""The GitHub Pages host: the site as one commit on a branch of a git remote, with real `git`.

No working copy is kept. Each deploy fetches the branch's last commit into a throwaway bare
repository, stages the site folder through `--work-tree` into a private index, and writes a
tree. When that tree equals the branch's, nothing is committed or pushed: a second deploy of an
unchanged site makes no commit. Otherwise one commit (parent: the branch) is pushed.

`.nojekyll` is added so GitHub Pages serves the files as they are (Jekyll would drop any whose
name starts with '_' and rebuild the site on every push).

A token for an https remote goes to git through `GIT_CONFIG_*` variables (an Authorization
header), never on a command line or in the remote URL, where `ps` and error messages show it.
"""

from __future__ import annotations

import base64
import os
import subprocess
import tempfile
from pathlib import Path

from merlin_assets.config.publish import GithubPagesHost
from merlin_assets.hosts.base import Deploy, DeployError, Publisher, Site

NOJEKYLL = ".nojekyll"
# ls-remote and push against a host that does not answer: git has no timeout of its own.
GIT_TIMEOUT_S = 120
AUTHOR = {
    "GIT_AUTHOR_NAME": "Merlin",
    "GIT_AUTHOR_EMAIL": "merlin@localhost",
    "GIT_COMMITTER_NAME": "Merlin",
    "GIT_COMMITTER_EMAIL": "merlin@localhost",
}


class GithubPagesPublisher(Publisher):
    kind = "github_pages"

    def __init__(self, entry: GithubPagesHost, env=None):
        super().__init__(entry.label, env)
        self.entry = entry

    def _env(self, git_dir: Path, index: Path) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("GIT_") and k not in {"HOME", "XDG_CONFIG_HOME"}
        }
        env.update(AUTHOR)
        env.update(
            GIT_DIR=str(git_dir),
            GIT_INDEX_FILE=str(index),
            # The user's and the system's git config are not ours to depend on (hooks,
            # signing, credential helpers that prompt).
            HOME=str(git_dir),
            GIT_CONFIG_NOSYSTEM="1",
            GIT_TERMINAL_PROMPT="0",
            GIT_SSH_COMMAND="ssh -o BatchMode=yes",
        )
        if self.entry.token_env:
            token = self.secret(self.entry.token_env, "token_env")
            basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
            self.secrets.append(basic)
            env.update(
                GIT_CONFIG_COUNT="1",
                GIT_CONFIG_KEY_0="http.extraHeader",
                GIT_CONFIG_VALUE_0=f"Authorization: Basic {basic}",
            )
        return env

    def deploy(self, site_dir: Path) -> Deploy:
        site = Site.read(site_dir)
        branch = f"refs/heads/{self.entry.branch}"
        with tempfile.TemporaryDirectory(prefix="merlin-pages-") as tmp:
            git_dir, index = Path(tmp) / "repo.git", Path(tmp) / "index"
            env = self._env(git_dir, index)

            def git(*args: str, stdin: bytes | None = None, work_tree: Path | None = None) -> str:
                cmd = ["git", *(["--work-tree", str(work_tree)] if work_tree else []), *args]
                try:
                    done = subprocess.run(
                        cmd,
                        input=stdin,
                        capture_output=True,
                        env=env,
                        cwd=work_tree,
                        timeout=GIT_TIMEOUT_S,
                        check=False,
                    )
                except subprocess.TimeoutExpired:
                    raise DeployError(f"git {args[0]} took more than {GIT_TIMEOUT_S}s") from None
                if done.returncode != 0:
                    raise DeployError(f"git {args[0]} failed: {self._why(done.stderr)}")
                return done.stdout.decode().strip()

            git("init", "--bare", "--quiet")
            # Reaching the remote at all is the first thing that can fail.
            heads = git("ls-remote", "--heads", "--", self.entry.remote, branch)
            parent = heads.split()[0] if heads else None
            if parent:
                git("fetch", "--quiet", "--depth=1", "--no-tags", self.entry.remote, branch)
            git("add", "--all", "--force", ".", work_tree=Path(site_dir))
            empty = git("hash-object", "-w", "--stdin", stdin=b"")
            git("update-index", "--add", "--cacheinfo", f"100644,{empty},{NOJEKYLL}")
            tree = git("write-tree")
            if parent and git("rev-parse", f"{parent}^{{tree}}") == tree:
                return Deploy(
                    self.label,
                    self.kind,
                    deploy_id=parent,
                    url=self.url(),
                    files_total=len(site.files) + 1,
                    detail="unchanged: no commit",
                )
            if parent:
                # -z: paths as they are, never quoted; "status\0path\0" pairs.
                fields = git("diff-tree", "-r", "-z", "--no-renames", "--name-status", parent, tree)
                parts = fields.split("\0")
                changes = list(zip(parts[0::2], parts[1::2], strict=False))
            else:
                listed = git("ls-tree", "-r", "-z", "--name-only", tree).split("\0")
                changes = [("A", p) for p in listed if p]
            added = [path for status, path in changes if status in {"A", "M", "T"}]
            deleted = [path for status, path in changes if status == "D"]
            message = f"Merlin: publish site {site.digest()} ({len(added)} files changed)"
            commit = git("commit-tree", tree, *(["-p", parent] if parent else []), "-m", message)
            git("push", "--quiet", self.entry.remote, f"{commit}:{branch}")
        sizes = {rel: f.size for rel, f in site.files.items()}
        return Deploy(
            self.label,
            self.kind,
            deploy_id=commit,
            url=self.url(),
            files_uploaded=len(added),
            bytes_uploaded=sum(sizes.get(rel, 0) for rel in added),
            files_deleted=len(deleted),
            files_total=len(site.files) + 1,
        )

    def _why(self, stderr: bytes) -> str:
        text = stderr.decode(errors="replace").strip()
        # With prompts off, a remote that wants other credentials ends in "could not read
        # Username": say what that means here.
        if "could not read Username" in text or "Authentication failed" in text:
            if self.entry.token_env:
                return f"the remote refused the token in {self.entry.token_env}"
            return "the remote asks for credentials; name a token variable in `token_env`"
        return " ".join(text.splitlines()[-2:])[:300]

    def url(self) -> str:
        if self.entry.url:
            return self.entry.url
        return f"{self.entry.remote}#{self.entry.branch}"
