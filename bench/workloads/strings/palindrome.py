# Palindrome check that ignores case, spaces and punctuation (letters and digits count).
# bug: drops digits along with punctuation (isalpha instead of isalnum)
# break: "if ch.isalnum()" -> "if ch.isalpha()"
def is_palindrome(s: str) -> bool:
    cleaned = [ch.lower() for ch in s if ch.isalnum()]
    return cleaned == cleaned[::-1]


assert is_palindrome("A man, a plan, a canal: Panama")
assert is_palindrome("No 'x' in Nixon")
assert is_palindrome("")
assert is_palindrome("12321")
assert not is_palindrome("123")
assert not is_palindrome("race a car")
assert is_palindrome("Was it a car or a cat I saw?")
cases = ["ab" * n + "c" + "ba" * n for n in range(200)]
assert all(is_palindrome(c) for c in cases)
assert not any(is_palindrome(c + "x") for c in cases)
