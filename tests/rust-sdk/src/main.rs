//! Prints the access key id that the AWS SDK for Rust's default credential chain resolves in
//! this environment (`AWS_PROFILE`, `AWS_CONFIG_FILE`, the container endpoint, …), or the
//! chain's error on stderr with exit status 1.

use aws_config::BehaviorVersion;
use aws_credential_types::provider::ProvideCredentials;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .load()
        .await;
    let Some(provider) = config.credentials_provider() else {
        eprintln!("rust-sdk: no credentials provider");
        std::process::exit(1);
    };
    match provider.provide_credentials().await {
        Ok(creds) => println!("{}", creds.access_key_id()),
        Err(e) => {
            let mut line = format!("rust-sdk: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                line.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            eprintln!("{line}");
            std::process::exit(1);
        }
    }
}
