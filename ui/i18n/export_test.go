package i18n

import "embed"

// Files is the embedded translations folder, for the test that checks
// every text has a Norwegian translation.
func Files() embed.FS { return files }
