// Runs the compiled examples/pulumi program (index.js beside this file) under Pulumi's mocks and prints every
// resource it declares: the packed @tcpmem/pulumi and its packed dependencies load and work, with no engine, no host.
const pulumi = require('@pulumi/pulumi');
const registered = [];
process.env.PULUMI_CONFIG = JSON.stringify({
  'tcpmem-example:sshPrivateKey': '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n',
  'tcpmem-example:db1Address': '192.0.2.31',
  'tcpmem-example:db1HostKey': 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG2MBNsbqyW2f3kj0fVqVfqOeaVqXcQ3xeyWfaYFY0g4',
  'tcpmem-example:dtn1Address': '192.0.2.32',
  'tcpmem-example:dtn1HostKey': 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG2MBNsbqyW2f3kj0fVqVfqOeaVqXcQ3xeyWfaYFY0g4',
});
pulumi.runtime
  .setMocks({ newResource: (a) => { registered.push(`${a.type} ${a.name}`); return { id: `${a.name}-id`, state: a.inputs }; }, call: (a) => a.inputs }, 'tcpmem-example', 'dev', true)
  .then(() => {
    require('./index.js');
    setTimeout(() => process.stdout.write(`${JSON.stringify(registered.sort())}\n`), 2000);
  });
