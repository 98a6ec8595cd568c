# Extracts e-mail addresses from free text, lowercased, first occurrence order, no duplicates.
# bug: the local-part class forgets '+', so plus-addressing is cut short
# break: "[A-Za-z0-9._%+-]+@" -> "[A-Za-z0-9._%-]+@"
import re

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def extract_emails(text: str) -> list[str]:
    seen, out = set(), []
    for m in EMAIL.finditer(text):
        addr = m.group(0).lower()
        if addr not in seen:
            seen.add(addr)
            out.append(addr)
    return out


text = "Contact Ana <ana.lopez+billing@Example.COM> or bob@mail.co.uk; again: ANA.LOPEZ+billing@example.com. Not: foo@bar, @x.io"
assert extract_emails(text) == ["ana.lopez+billing@example.com", "bob@mail.co.uk"]
assert extract_emails("") == []
big = " ".join(f"user{i}+tag{i % 3}@host{i % 7}.example.org, " for i in range(500))
found = extract_emails(big)
assert len(found) == 500
assert found[42] == "user42+tag0@host0.example.org"
