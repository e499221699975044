import { createTokenCipher } from "../../crypto/token-cipher.js";
import { openDatabase } from "../../db/open.js";
import { reencryptInstallations } from "../../services/installations.js";
import { UsageError, type CliCommand } from "../command.js";

export const rotateKeyCommand: CliCommand = {
  name: "rotate-key",
  summary:
    "Re-encrypt every stored Slack token with PULSE_ENCRYPTION_KEY (the old key in PULSE_ENCRYPTION_KEY_PREVIOUS).",
  usage: "PULSE_ENCRYPTION_KEY=<new> PULSE_ENCRYPTION_KEY_PREVIOUS=<old> pulse rotate-key",
  async run(args, { config, logger, io }) {
    if (args.length) throw new UsageError(`unexpected argument "${args[0]}"`);
    if (!config.encryptionKey) throw new UsageError("PULSE_ENCRYPTION_KEY must be set to the new key");
    const cipher = createTokenCipher({ current: config.encryptionKey, previous: config.encryptionKeyPrevious });
    const database = await openDatabase(config, logger);
    try {
      const result = await reencryptInstallations(database.db, cipher);
      io.out(
        `Re-encrypted ${result.reencrypted} Slack token(s) with key ${cipher.currentKeyId}; ${result.alreadyCurrent} already used it.\n` +
          (config.encryptionKeyPrevious
            ? "Every token now opens with the new key alone: you can unset PULSE_ENCRYPTION_KEY_PREVIOUS.\n"
            : ""),
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
