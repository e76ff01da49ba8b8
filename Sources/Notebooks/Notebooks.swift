enum NotebooksPlaceholder {}
