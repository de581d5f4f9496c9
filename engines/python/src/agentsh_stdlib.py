"""The standard library a program may import.

componentize-py can only import modules while it builds the component (at run time the
component has no files of its own), so the modules programs may use are imported here,
once, into the snapshot every run starts from. Each costs artifact size and a little
memory per instance, so the list holds what scripts commonly use, plus the modules the
standard library itself imports lazily (codecs, ``_strptime``...).
"""

import importlib

MODULES = """
abc argparse array ast base64 binascii bisect calendar cmath codecs collections
collections.abc colorsys configparser contextlib copy csv dataclasses datetime decimal
difflib enum errno filecmp fileinput fnmatch fractions functools getopt gettext glob
graphlib gzip hashlib heapq hmac html html.entities html.parser inspect io ipaddress
itertools json keyword linecache locale logging math mimetypes numbers operator os
os.path pathlib pickle platform pprint queue quopri random re reprlib sched secrets
shlex shutil sqlite3 stat statistics string struct sys tarfile tempfile textwrap
time timeit tokenize tomllib traceback types typing unicodedata urllib urllib.parse uuid
warnings weakref xml.dom.minidom xml.etree.ElementTree zipfile zlib zoneinfo
_strptime encodings.ascii encodings.latin_1 encodings.utf_8 encodings.utf_8_sig
encodings.utf_16 encodings.utf_16_le encodings.utf_16_be encodings.utf_32
encodings.cp1252 encodings.cp437 encodings.iso8859_15 encodings.idna encodings.punycode
encodings.unicode_escape encodings.raw_unicode_escape encodings.base64_codec
encodings.hex_codec encodings.charmap
""".split()

for _name in MODULES:
    importlib.import_module(_name)
