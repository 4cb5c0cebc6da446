"""CRC-32 of two byte runs joined, from the CRC-32 of each (zlib's crc32_combine, which
Python's zlib does not offer): two processes that read the halves of a log give the CRC of
the whole without either reading the other's half."""

from __future__ import annotations

_POLY = 0xEDB88320  # CRC-32 (reflected), as zlib.crc32


def _times(matrix: list[int], vector: int) -> int:
    total = 0
    index = 0
    while vector:
        if vector & 1:
            total ^= matrix[index]
        vector >>= 1
        index += 1
    return total


def _square(matrix: list[int]) -> list[int]:
    return [_times(matrix, row) for row in matrix]


def combine(first: int, second: int, second_length: int) -> int:
    """zlib.crc32(a + b) from zlib.crc32(a), zlib.crc32(b) and len(b)."""
    step = [_POLY] + [1 << n for n in range(31)]  # what one zero bit does to a CRC
    step = _square(_square(_square(step)))  # one zero byte
    while second_length > 0:  # `first` through len(b) zero bytes, a bit of the length at a time
        if second_length & 1:
            first = _times(step, first)
        second_length >>= 1
        if second_length:
            step = _square(step)
    return first ^ second
