"""Forms of the notes: a note's text, its deletion, and where the page that sent them is."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.models import MAX_NOTE_LENGTH

# the pages a note's form is on, where the browser goes back to once it is saved: "notes" (the month's notes)
BACK_TO = ("notes", "entry", "sales")


class BackField(HiddenField):
    """One of BACK_TO, any other value read as "notes": never a URL, so a form cannot send anyone elsewhere."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data not in BACK_TO:
            self.data = "notes"


class NoteForm(FlaskForm):
    seen = HiddenField()  # the note's state when the page showed it (an edit); empty for a new note
    text = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=MAX_NOTE_LENGTH)],
                         description=_l("Why the month's figures are as they are, in Japanese or English: a typhoon "
                                        "closing the airport, a new flight route."))
    back = BackField(default="notes")
    submit = SubmitField(_l("Save the note"))


class DeleteNoteForm(FlaskForm):
    seen = HiddenField(validators=[DataRequired()])
    back = BackField(default="notes")
    submit = SubmitField(_l("Delete"))
