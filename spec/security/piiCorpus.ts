/** Entities of every built-in detector, and text with near-misses that none may touch. */

const pem = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu',
  'KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

/** Each detector's entities and the label mask mode writes for them. */
export const entities: ReadonlyArray<{ kind: string; label: string; samples: readonly string[] }> = [
  { kind: 'email', label: 'EMAIL', samples: ['bob.smith+tag@example.co.uk', 'a_b@mail-server.io', 'x@y.org'] },
  {
    kind: 'phone', label: 'PHONE', samples: [
      '+44 20 7946 0958', '+1 (555) 123-4567', '+49 30 12345678', '+33612345678',
      '(555) 123-4567', '555-123-4567', '555.123.4567', '020 7946 0958', '01 23 45 67 89',
    ],
  },
  { kind: 'creditCard', label: 'CARD', samples: ['4111 1111 1111 1111', '5500-0000-0000-0004', '378282246310005', '4012888888881881'] },
  { kind: 'iban', label: 'IBAN', samples: ['GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000', 'FR14 2004 1010 0505 0001 3M02 606'] },
  { kind: 'ipAddress', label: 'IP', samples: ['192.168.1.20', '8.8.8.8', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'fe80::1ff:fe23:4567:890a'] },
  {
    kind: 'secret', label: 'SECRET', samples: [
      `sk-proj-${'Ab3dE'.repeat(8)}`, // OpenAI
      `sk-ant-api03-${'xY7_q'.repeat(18)}`, // Anthropic
      'AKIAIOSFODNN7EXAMPLE', // AWS
      `ghp_${'a1B2c3'.repeat(6)}`, // GitHub
      `github_pat_11ABCDEFG0${'x9'.repeat(20)}`, // GitHub fine-grained
      'xoxb-1234567890-abcdefghijkl', // Slack
      `AIza${'SyA1b2C3d4'.repeat(3)}e5F6g`, // Google
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', // JWT
    ],
  },
  { kind: 'privateKey', label: 'PRIVATE_KEY', samples: [pem] },
];

/** Text before and after each entity in the split-point specs. */
export const before = 'Contact: ';
export const after = ' today, thanks.';

/**
 * Near-misses: order numbers, dates, times, versions, prices, UUIDs, ISBNs, Luhn-invalid card
 * numbers, an IBAN with a bad checksum, code with `::` and Markdown rules.
 */
export const cleanCorpus = [
  'Order #12345678 shipped on 2024-03-15 at 14:30:05, invoice 20240315-0001.',
  'Version v2.14.1 and release 10.4.12 are out; see section 1.2.3 of the notes.',
  'The price is $1,299.99 (or €45.50, 1.234,56 EUR), ratio 3:2, at 9:45 pm.',
  'UUID 123e4567-e89b-12d3-a456-426614174000 and ISBN 978-3-16-148410-0 or 0-306-40615-2.',
  'Card 4111 1111 1111 1112 and 4012888888881882 fail Luhn; GB82 WEST 1234 5698 7654 33 fails mod-97.',
  'Use std::vector and Foo::Bar; a -- b, then ---, total 1234567 units, id 98765432101234.',
  'Email me at the office (not an address: user at example dot com, @handle, name@).',
  'Keys look like sk-short or AKIA123 but these are too short; eyJ alone is nothing.',
].join('\n');
