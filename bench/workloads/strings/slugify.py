# URL slug: lowercase ASCII, runs of anything else become one dash, no dash at either end.
# bug: trailing dashes are not stripped
# break: "return slug.strip(\"-\")" -> "return slug.lstrip(\"-\")"
import unicodedata


def slugify(title: str, max_len: int = 60) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug, dash = [], False
    for ch in ascii_title.lower():
        if ch.isalnum():
            slug.append(ch)
            dash = False
        elif not dash:
            slug.append("-")
            dash = True
    slug = "".join(slug)[:max_len]
    return slug.strip("-")


assert slugify("Hello, World!") == "hello-world"
assert slugify("  Crème brûlée -- recipe  ") == "creme-brulee-recipe"
assert slugify("C++ & Rust: a comparison") == "c-rust-a-comparison"
assert slugify("---") == ""
assert slugify("a" * 100) == "a" * 60
assert slugify("word " * 20, max_len=12) == "word-word-wo"
for i in range(200):
    s = slugify(f"Post #{i}: Ünïcode & more!!")
    assert s == f"post-{i}-unicode-more", s
