"""The e-paper's printed pages: page PDFs in, facsimiles and article zones (热区) out.

render.py   checks a page PDF and draws its web pictures (pypdfium2)
locate.py   finds each article on the page from the PDF's text layer
pages.py    the writes: attach a PDF, locate again, correct a zone; each
            checks the editor's permission and that the edition is being planned

pypdfium2 (PDFium, the engine of Chromium's PDF viewer; Apache-2.0/BSD-3,
wheels with the library inside) both draws the page and reads its text with
each character's box, which is all the locating needs.
"""
