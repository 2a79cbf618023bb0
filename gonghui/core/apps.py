from gonghui.core import registry


class CoreConfig(registry.GonghuiAppConfig):
    name = "gonghui.core"
    label = "core"

    def ready(self) -> None:
        super().ready()
        from django.db.models.signals import pre_save

        from gonghui.core.text import clean_model_text

        # every gonghui model's text is stored without control characters (core/text.py)
        pre_save.connect(clean_model_text, dispatch_uid="gonghui.core.text.clean_model_text")
