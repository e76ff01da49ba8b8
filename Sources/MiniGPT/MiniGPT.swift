enum MiniGPTPlaceholder {}
