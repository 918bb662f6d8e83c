"""Real picture bytes made with Pillow, and the hostile files that only pretend to be pictures."""

import io
import struct
import zlib

from PIL import Image

# EXIF tags: Orientation, camera serial number, and the GPS block.
ORIENTATION, BODY_SERIAL, GPS_INFO = 0x0112, 0xA431, 0x8825


def picture(fmt: str = "JPEG", size: tuple[int, int] = (640, 480), *, mode: str = "RGB", exif=None, **options) -> bytes:
    """A picture with something in it (a gradient), so encoders cannot shrink it to nothing."""
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert(mode) if mode != "L" else Image.linear_gradient("L")
    if mode == "RGB":
        image = Image.merge("RGB", (image.getchannel(0), image.getchannel(1).rotate(90), image.getchannel(2)))
    if mode == "RGBA":
        image.putalpha(Image.linear_gradient("L").rotate(90).resize(size))
    buffer = io.BytesIO()
    if exif is not None:
        options["exif"] = exif
    image.save(buffer, format=fmt, **options)
    assert Image.open(io.BytesIO(buffer.getvalue())).size == (width, height)
    return buffer.getvalue()


def multi_picture_jpeg(size: tuple[int, int] = (640, 480), *, exif=None) -> bytes:
    """What many phone cameras write: a JPEG whose multi-picture index (MPF) carries a second,
    smaller picture after the first. Pillow opens it as MPO."""
    main = Image.open(io.BytesIO(picture("JPEG", size, exif=exif)))
    preview = main.resize((size[0] // 4, size[1] // 4))
    buffer = io.BytesIO()
    main.save(buffer, format="MPO", save_all=True, append_images=[preview], **({"exif": exif} if exif else {}))
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    return buffer.getvalue()


def camera_exif(*, orientation: int = 1) -> Image.Exif:
    """What a phone writes: the orientation, its serial number and where the photo was taken."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[BODY_SERIAL] = "SN-0123456789"
    exif[GPS_INFO] = {1: "N", 2: (9.0, 1.0, 48.0), 3: "E", 4: (38.0, 44.0, 24.0)}
    return exif


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels: a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def truncated_png() -> bytes:
    whole = picture("PNG", (300, 300))
    return whole[: len(whole) // 2]


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
