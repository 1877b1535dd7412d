// Default locations, in a module with no imports so the CLI's option definitions can name them
// without loading the YAML parser.
export const DEFAULT_CONFIG = '/etc/ocfkit/ocfkit.yaml';
export const UDEV_RULES_DIR = '/etc/udev/rules.d';
export const UDEV_RULES_NAME = '83-ocfkit-block.rules';
