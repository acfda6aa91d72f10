from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"

    def ready(self) -> None:
        # Each part registers its panels, timeline entries and menu links in its own hooks.py.
        # local import: the hooks read our models, which load only once the app registry is ready
        from programs.documents import hooks as document_hooks
        from programs.home import hooks as home_hooks
        from programs.running import hooks as running_hooks

        home_hooks.register()
        document_hooks.register()
        running_hooks.register()
