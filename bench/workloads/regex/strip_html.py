# Plain text from a small HTML snippet: drops tags, script/style bodies and unescapes entities.
# bug: a greedy tag pattern deletes the text between the first '<' and the last '>'
# break: "TAG = re.compile(r\"<[^>]+>\")" -> "TAG = re.compile(r\"<.+>\")"
import html
import re

BLOCK = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


def text_of(fragment: str) -> str:
    no_blocks = BLOCK.sub(" ", fragment)
    no_tags = TAG.sub(" ", no_blocks)
    return SPACE.sub(" ", html.unescape(no_tags)).strip()


assert text_of("<p>Hello <b>world</b> &amp; friends</p>") == "Hello world & friends"
assert text_of("<style>p {color: red}</style><div>A&lt;B</div>") == "A<B"
assert text_of("<script>if (a < b) { x() }</script>ok") == "ok"
assert text_of("plain") == "plain"
rows = "".join(f"<tr><td>{i}</td><td>caf&eacute; {i}</td></tr>" for i in range(300))
out = text_of(f"<table>{rows}</table>")
assert out.startswith("0 café 0 1 café 1") and out.endswith("299 café 299")
