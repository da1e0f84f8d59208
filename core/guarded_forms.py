"""The base of the forms that carry a hidden guard field (a one-time key, a version): crispy-forms draws only
the fields a layout names, so a form with a layout would silently drop the guard. Every helper set on such a
form renders hidden fields too, whatever layout the form gives itself."""

from django import forms


class HiddenFieldsShownForm(forms.Form):
    @property
    def helper(self):
        try:
            return self.__dict__["_crispy_helper"]
        except KeyError:
            raise AttributeError("helper") from None  # no helper: crispy then draws every field itself

    @helper.setter
    def helper(self, helper) -> None:
        helper.render_hidden_fields = True
        self.__dict__["_crispy_helper"] = helper
