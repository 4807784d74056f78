"""plotly's toolbar in the page's language: plotly.js ships no Japanese, so the page sends the dictionary."""

from __future__ import annotations

from flask_babel import gettext as _


def toolbar_dictionary() -> dict[str, str]:
    """plotly.js's English texts of the toolbar buttons and notices the charts show -> the active language's.

    Only the texts that differ: plotly replaces a language's whole dictionary, and English needs none.
    """
    texts = {
        "Download plot as a PNG": _("Download plot as a PNG"),
        "Preparing image - this may take a few seconds": _("Preparing image - this may take a few seconds"),
        "Image download succeeded": _("Image download succeeded"),
        "Sorry, there was a problem downloading your image!": _("Sorry, there was a problem downloading your image!"),
        "Zoom": _("Zoom"),
        "Pan": _("Pan"),
        "Zoom in": _("Zoom in"),
        "Zoom out": _("Zoom out"),
        "Reset axes": _("Reset axes"),
        "Double-click to zoom back out": _("Double-click to zoom back out"),
        "Double-click on legend to isolate one trace": _("Double-click on legend to isolate one trace"),
    }
    return {english: text for english, text in texts.items() if text != english}
