from django import forms
from django.utils.translation import gettext_lazy as _


class AttachmentUploadForm(forms.Form):
    """Field validation only; type, size and permission are the service's business."""

    file = forms.FileField(label=_("文件"))
    purpose = forms.CharField(label=_("用途"), max_length=64, required=False)
    owner_person = forms.IntegerField(label=_("所属人员"), required=False, widget=forms.HiddenInput)
