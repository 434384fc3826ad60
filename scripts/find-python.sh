#!/usr/bin/env sh
# Prints the path of a working Python 3.12. On machines where python3.12 is a pyenv shim that is not
# the active version, the shim refuses to run, so fall back to pyenv's installed versions.
for candidate in "${PYTHON:-}" python3.12; do
  [ -n "$candidate" ] || continue
  if path=$(command -v "$candidate" 2>/dev/null) && "$path" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
    echo "$path"; exit 0
  fi
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for path in "$root"/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do
  if [ -x "$path" ] && "$path" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
    echo "$path"; exit 0
  fi
done
echo "Python 3.12 was not found: install python3.12 (or set PYTHON=/path/to/python3.12)." >&2
exit 1
